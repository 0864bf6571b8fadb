namespace MarginGrid.Grains.Persistence;

/// <summary>An event as a log keeps it: the event and when it was appended.</summary>
public sealed record StoredEvent(object Event, DateTimeOffset At);
