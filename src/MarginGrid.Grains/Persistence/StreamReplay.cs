namespace MarginGrid.Grains.Persistence;

/// <summary>An applied command looked up again: the state right before its event, the event, and the state right after.</summary>
public sealed record StreamReplay<TState>(TState Before, object Event, TState After);
