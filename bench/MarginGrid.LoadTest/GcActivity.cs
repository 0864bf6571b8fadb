namespace MarginGrid.LoadTest;

/// <summary>The runtime's garbage collections by generation and the time the process was paused for them.</summary>
public sealed record GcActivity(int Gen0, int Gen1, int Gen2, double PauseSeconds)
{
    public static GcActivity Read() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds);

    public static GcActivity operator -(GcActivity after, GcActivity before) => Subtract(after, before);

    public static GcActivity Subtract(GcActivity after, GcActivity before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        return new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, Math.Round(after.PauseSeconds - before.PauseSeconds, 3));
    }
}
