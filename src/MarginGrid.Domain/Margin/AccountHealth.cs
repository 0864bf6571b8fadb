namespace MarginGrid.Domain.Margin;

/// <summary>
/// The worst scope of an account, as computed on every delivered mark: its level, and the number of scopes
/// in breach. Allocation-free to produce.
/// </summary>
public readonly record struct AccountHealth(MarginLevel WorstLevel, int ScopesInBreach, int OpenPositions)
{
    public bool InBreach => ScopesInBreach > 0;
}
