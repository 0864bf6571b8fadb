using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The working state of one running liquidation.</summary>
[GenerateSerializer]
public sealed class LiquidationWork
{
    [Id(0)] public LiquidationStage Stage { get; set; }
    [Id(1)] public PlannedTrade? Partial { get; set; }
    [Id(2)] public List<PlannedTrade> Trades { get; set; } = [];
    [Id(3)] public decimal FeeCharge { get; set; }
    [Id(4)] public string? SettlementSymbol { get; set; }
    [Id(5)] public List<LiquidationStep> Steps { get; set; } = [];
    [Id(6)] public decimal FundPayout { get; set; }
    [Id(7)] public bool AdlPlanned { get; set; }
    [Id(8)] public string? AdlSymbol { get; set; }
    [Id(9)] public decimal AdlPrice { get; set; }
    [Id(10)] public decimal AdlRemaining { get; set; }
    [Id(11)] public List<string> AdlCandidates { get; set; } = [];
    [Id(12)] public int AdlNext { get; set; }
    [Id(13)] public int AdlSide { get; set; }
    [Id(14)] public SettlementView? Settlement { get; set; }

    /// <summary>The scope as the escalation or the last step returned it (the coordinator never reads it back).</summary>
    [Id(15)] public ScopeState? Scope { get; set; }

    /// <summary>Later breaches of the same scope, answered with this liquidation.</summary>
    [Id(16)] public List<string> MergedBreaches { get; set; } = [];

    /// <summary>A snapshot replaces the one held only when it was taken at a newer version of the account.</summary>
    public void TakeNewer(ScopeState? scope)
    {
        if (scope is not null && (Scope is null || scope.Version > Scope.Version))
        {
            Scope = scope;
        }
    }
}
