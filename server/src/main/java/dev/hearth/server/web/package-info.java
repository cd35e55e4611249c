@NullMarked
package dev.hearth.server.web;

import org.jspecify.annotations.NullMarked;
