namespace MarginGrid.Domain.Accounts;

/// <summary>A margin scope: the cross wallet of an asset (<see cref="Symbol"/> null) or one isolated position.</summary>
public readonly record struct MarginScope(string Asset, string? Symbol)
{
    public bool IsCross => Symbol is null;

    public static MarginScope Cross(string asset) => new(asset, null);

    public static MarginScope Isolated(string asset, string symbol) => new(asset, symbol);

    public override string ToString() => Symbol is null ? $"cross:{Asset}" : $"isolated:{Symbol}";
}
