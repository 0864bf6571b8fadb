namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Another writer appended to the stream first, or the stream already holds a command key of this append; the
/// caller must reload and decide again. <paramref name="actual"/> is the stream's version, −1 when unknown.
/// </summary>
public sealed class EventLogConflictException(string stream, long expected, long actual)
    : Exception(actual == expected
        ? $"Stream {stream} is at version {actual} as expected, but already holds a command key of this append (applied before)."
        : actual < 0
            ? $"Stream {stream} refused the append at version {expected} (a unique key already taken)."
            : $"Stream {stream} is at version {actual}, not {expected}.");
