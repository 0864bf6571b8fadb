namespace MarginGrid.Domain.Margin;

/// <summary>The live margin of an account: every scope and every position.</summary>
public sealed record AccountMarginReport(string AccountId, IReadOnlyList<ScopeMargin> Scopes, IReadOnlyList<PositionReport> Positions)
{
    public MarginLevel WorstLevel => Scopes.Count == 0 ? MarginLevel.Healthy : Scopes.Max(s => s.Level);
}
