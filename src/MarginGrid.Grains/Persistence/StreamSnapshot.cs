namespace MarginGrid.Grains.Persistence;

/// <summary>A stream's folded state at <see cref="Version"/> (a plain, immutable record the store can encode).</summary>
public sealed record StreamSnapshot(long Version, object State);
