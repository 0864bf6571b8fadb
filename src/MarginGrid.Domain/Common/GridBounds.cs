using System.Globalization;

namespace MarginGrid.Domain.Common;

/// <summary>
/// The largest numbers the grid accepts, far below <see cref="decimal"/>'s own limits (about 7.9·10^28), so
/// that no sum, product or quotient the margin rules compute from accepted values can overflow. Anything
/// that would cross a bound, as input or as the result of a command, is refused with
/// <see cref="ErrorCodes.OutOfBounds"/> before anything is appended.
/// </summary>
public static class GridBounds
{
    /// <summary>Largest amount of one command, and largest wallet, isolated-margin or fund balance (10^15).</summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>Largest notional of a fill, an order check or a position at its entry (10^15).</summary>
    public const decimal MaxNotional = 1_000_000_000_000_000m;

    /// <summary>Largest price: fills, order checks, marks, index and impact prices (10^12).</summary>
    public const decimal MaxPrice = 1_000_000_000_000m;

    /// <summary>Largest size in units (contracts × contract size) of a fill, an order or a position (10^12).</summary>
    public const decimal MaxUnits = 1_000_000_000_000m;

    /// <summary>
    /// Smallest tick, lot and contract size of a market (10^-12): with <see cref="MaxUnits"/> and
    /// <see cref="MaxPrice"/> it keeps every notional at any accepted mark at or below 10^24.
    /// </summary>
    public const decimal MinStep = 0.000_000_000_001m;

    /// <summary>Most significant digits of any number the grid accepts.</summary>
    public const int MaxSignificantDigits = 18;

    /// <summary>Decimal places of an asset's amounts (wallets, transfers, fund deposits) when nothing says otherwise.</summary>
    public const int DefaultAssetDecimals = 8;

    /// <summary>Refuses a magnitude above <paramref name="bound"/>.</summary>
    public static void Within(decimal value, decimal bound, string what)
    {
        if (Math.Abs(value) > bound)
        {
            throw new DomainException(ErrorCodes.OutOfBounds, $"{what} {value} is beyond the grid's bound of {bound}.");
        }
    }

    /// <summary>Refuses more significant digits than <see cref="MaxSignificantDigits"/>, or more decimals than <paramref name="decimals"/>.</summary>
    public static void Exact(decimal value, int decimals, string what)
    {
        if (SignificantDigits(value) > MaxSignificantDigits)
        {
            throw new DomainException(ErrorCodes.TooPrecise, $"{what} {value} has more than {MaxSignificantDigits} significant digits.");
        }

        if (decimal.Round(value, Math.Min(decimals, 28)) != value)
        {
            throw new DomainException(ErrorCodes.TooPrecise, $"{what} {value} has more than {decimals} decimal places; it is refused, not rounded.");
        }
    }

    /// <summary>An amount of money given by a caller: within <see cref="MaxAmount"/> and exact at the asset's precision.</summary>
    public static void Amount(decimal value, int decimals, string what)
    {
        Within(value, MaxAmount, what);
        Exact(value, decimals, what);
    }

    /// <summary>The significant digits of a value, trailing zeros of its fraction not counted (0 has none).</summary>
    public static int SignificantDigits(decimal value)
    {
        var text = Math.Abs(value).ToString("0.############################", CultureInfo.InvariantCulture);
        return SignificantDigits(text.AsSpan());
    }

    /// <summary>The significant digits of a plain decimal text (digits, an optional sign and point).</summary>
    public static int SignificantDigits(ReadOnlySpan<char> text)
    {
        var point = text.IndexOf('.');
        var fraction = point < 0 ? [] : text[(point + 1)..].TrimEnd('0');
        var whole = (point < 0 ? text : text[..point]).TrimStart("+-").TrimStart('0');
        var digits = whole.Length + fraction.Length;
        if (whole.IsEmpty)
        {
            // 0.000123: the zeros after the point only place the digits.
            digits = fraction.TrimStart('0').Length;
        }

        return digits;
    }
}
