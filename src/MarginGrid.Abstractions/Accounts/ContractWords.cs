namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// The words the HTTP API and the CLI use for the account contract's enums, both ways. Only the edges (the HTTP
/// API, the CLI, console output) turn words into enums; inside the grid the enums travel.
/// </summary>
public static class ContractWords
{
    public static string Of(OrderSide side) => side switch
    {
        OrderSide.Buy => "buy",
        OrderSide.Sell => "sell",
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, null),
    };

    public static string Of(PositionMarginMode mode) => mode switch
    {
        PositionMarginMode.Cross => "cross",
        PositionMarginMode.Isolated => "isolated",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static string Of(RiskLevel level) => level switch
    {
        RiskLevel.Healthy => "healthy",
        RiskLevel.Warning => "warning",
        RiskLevel.Danger => "danger",
        RiskLevel.Breach => "breach",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static bool TryParse(string? word, out OrderSide side) => TryFind(word, [OrderSide.Buy, OrderSide.Sell], Of, out side);

    public static bool TryParse(string? word, out PositionMarginMode mode) =>
        TryFind(word, [PositionMarginMode.Cross, PositionMarginMode.Isolated], Of, out mode);

    public static bool TryParse(string? word, out RiskLevel level) =>
        TryFind(word, [RiskLevel.Healthy, RiskLevel.Warning, RiskLevel.Danger, RiskLevel.Breach], Of, out level);

    /// <summary>The refusal of a side that is not a word of the contract, as the API has always worded it.</summary>
    public static string BadSide(string? word) => $"A side is 'buy' or 'sell' (was '{word}').";

    /// <summary>The refusal of a margin mode that is not a word of the contract.</summary>
    public static string BadMarginMode(string? word) => $"A margin mode is 'cross' or 'isolated' (was '{word}').";

    // Exact and case-sensitive, as the API always read them.
    private static bool TryFind<T>(string? word, T[] values, Func<T, string> of, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in values)
        {
            if (string.Equals(of(candidate), word, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
