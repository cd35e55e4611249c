@NullMarked
package dev.hearth.server.storage;

import org.jspecify.annotations.NullMarked;
