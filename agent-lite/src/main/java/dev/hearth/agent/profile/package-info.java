/** Per-interval aggregation of samples into model profiles, labels and resource attributes. */
@NullMarked
package dev.hearth.agent.profile;

import org.jspecify.annotations.NullMarked;
