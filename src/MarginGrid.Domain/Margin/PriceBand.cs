namespace MarginGrid.Domain.Margin;

/// <summary>
/// Marks of one market, inclusive, at which a scope's margin level is the same as now (the scope's other
/// marks held). Null bounds are unbounded. A fan-out may skip the account while the mark stays inside.
/// </summary>
public readonly record struct PriceBand(decimal? Low, decimal? High)
{
    public static PriceBand Unbounded { get; } = new(null, null);

    public bool Contains(decimal price) => (Low is not { } low || price >= low) && (High is not { } high || price <= high);
}
