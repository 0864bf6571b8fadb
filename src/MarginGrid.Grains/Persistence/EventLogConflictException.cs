namespace MarginGrid.Grains.Persistence;

/// <summary>Another writer appended to the stream first; the caller must reload and decide again.</summary>
public sealed class EventLogConflictException(string stream, long expected, long actual)
    : Exception($"Stream {stream} is at version {actual}, not {expected}.");
