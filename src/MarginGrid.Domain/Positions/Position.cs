namespace MarginGrid.Domain.Positions;

/// <summary>
/// An account's one-way position in one market. <see cref="Size"/> is signed (+ long, − short);
/// <see cref="IsolatedMargin"/> is zero for cross positions. <see cref="FundingRound"/> is the market's funding
/// round this position last settled at (or the newest round when it opened): the rounds after it are still due.
/// </summary>
public sealed record Position(string Symbol, string SettleAsset, MarginMode Mode, int Leverage, decimal Size, decimal EntryPrice, decimal IsolatedMargin, long FundingRound = 0)
{
    public decimal Quantity => Math.Abs(Size);

    /// <summary>+1 long, −1 short, 0 flat.</summary>
    public int Sign => Math.Sign(Size);

    public bool IsOpen => Size != 0m;

    public bool IsIsolated => Mode == MarginMode.Isolated;

    public static Position Flat(string symbol, string settleAsset, PositionSettings settings) =>
        new(symbol, settleAsset, settings.Mode, settings.Leverage, 0m, 0m, 0m);
}
