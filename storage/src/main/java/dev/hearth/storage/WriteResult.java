package dev.hearth.storage;

/**
 * What a write stored.
 *
 * @param sampleRows sample rows inserted (after summing per series, stack and second)
 * @param newStacks stack dictionary rows inserted (those not already known for the tenant and day)
 * @param newLocations location rows inserted
 * @param newFunctions function rows inserted
 * @param newSeries series rows inserted
 */
public record WriteResult(
    long sampleRows, long newStacks, long newLocations, long newFunctions, long newSeries) {}
