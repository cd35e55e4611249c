/** The Spring Boot application: the only module where Spring appears. */
@NullMarked
package dev.hearth.server;

import org.jspecify.annotations.NullMarked;
