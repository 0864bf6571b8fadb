namespace MarginGrid.Domain.Positions;

/// <summary>The margin mode and leverage an account chose for one market.</summary>
public sealed record PositionSettings(MarginMode Mode, int Leverage)
{
    /// <summary>What a market starts with when the account has chosen nothing: cross at 20× (capped by the bracket).</summary>
    public static PositionSettings Default { get; } = new(MarginMode.Cross, 20);
}
