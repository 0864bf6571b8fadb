namespace MarginGrid.Silo.Demo;

/// <summary>The demo's size and pace (configuration section <c>Demo</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public int Accounts { get; set; } = 3000;
    public int TickIntervalMs { get; set; } = 500;
    public int ShockEverySeconds { get; set; } = 15;
    public int FundingEverySeconds { get; set; } = 120;
    public int SummaryEverySeconds { get; set; } = 5;
    public int Seed { get; set; } = 42;
}
