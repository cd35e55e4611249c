@NullMarked
package dev.hearth.server.config;

import org.jspecify.annotations.NullMarked;
