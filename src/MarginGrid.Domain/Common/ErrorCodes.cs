namespace MarginGrid.Domain.Common;

/// <summary>The stable error codes of the margin rules.</summary>
public static class ErrorCodes
{
    public const string InvalidQuantity = "invalid_quantity";
    public const string InvalidPrice = "invalid_price";
    public const string InvalidAmount = "invalid_amount";
    public const string InvalidLeverage = "invalid_leverage";
    public const string InvalidMarket = "invalid_market";
    public const string InvalidRate = "invalid_rate";
    public const string InvalidId = "invalid_id";
    public const string InvalidArgument = "invalid_argument";
    public const string UnknownBracket = "unknown_bracket";
    public const string UnknownMarket = "unknown_market";
    public const string UnknownPosition = "unknown_position";
    public const string DuplicateConflict = "duplicate_conflict";
    public const string InsufficientMargin = "insufficient_margin";
    public const string LeverageAboveBracket = "leverage_above_bracket";
    public const string AboveWithdrawable = "above_withdrawable";
    public const string MarginModeLocked = "margin_mode_locked";
    public const string AssetMismatch = "asset_mismatch";
    public const string UnknownAccount = "unknown_account";
    public const string InvalidShock = "invalid_shock";
    public const string MarkAndShock = "mark_and_shock";

    /// <summary>A value, or the result of a command, beyond <see cref="GridBounds"/> (HTTP 422).</summary>
    public const string OutOfBounds = "out_of_bounds";

    /// <summary>More decimals than the asset allows or more significant digits than the bound: refused, never rounded (HTTP 422).</summary>
    public const string TooPrecise = "too_precise";

    /// <summary>
    /// A command that decides on money needs a mark of a market that is not fresh: none accepted since the market
    /// last activated (a restart or restore), or older than the allowed age (HTTP 503, retry once the feed is back).
    /// </summary>
    public const string MarkStale = "mark_stale";

    /// <summary>
    /// A liquidation asked to settle a scope that still holds positions (a fill reached the account after the
    /// coordinator's last view of it): the coordinator reads the scope back and closes what it holds first.
    /// </summary>
    public const string ScopeStillOpen = "scope_still_open";

    public static DomainErrorKind KindOf(string code) => code switch
    {
        UnknownMarket or UnknownPosition or UnknownAccount => DomainErrorKind.NotFound,
        DuplicateConflict or ScopeStillOpen => DomainErrorKind.Conflict,
        InsufficientMargin or LeverageAboveBracket or AboveWithdrawable or MarginModeLocked or OutOfBounds or TooPrecise => DomainErrorKind.RuleViolation,
        MarkStale => DomainErrorKind.Unavailable,
        _ => DomainErrorKind.InvalidInput,
    };
}
