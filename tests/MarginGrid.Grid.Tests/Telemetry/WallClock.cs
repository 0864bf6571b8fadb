namespace MarginGrid.Grid.Tests.Telemetry;

/// <summary>A wall clock that moves only when told to, for gauges that compare a reading's time with now.</summary>
internal sealed class WallClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
