using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Markets;

/// <summary>
/// A market's risk brackets with their derived maintenance amounts:
/// <c>cum_1 = 0</c>, <c>cum_n = floor_n · (MMR_n − MMR_{n−1}) + cum_{n−1}</c>.
/// Lookups are array scans over a handful of rows: no allocation on the margin hot path.
/// </summary>
public sealed class RiskBracketTable
{
    private readonly RiskBracket[] _brackets;
    private readonly decimal[] _floors;

    private RiskBracketTable(RiskBracket[] brackets)
    {
        _brackets = brackets;
        _floors = Array.ConvertAll(brackets, b => b.NotionalFloor);
    }

    public IReadOnlyList<RiskBracket> Brackets => _brackets;

    public int Count => _brackets.Length;

    public RiskBracket this[int index] => _brackets[index];

    /// <summary>Validates the rows and derives each maintenance amount.</summary>
    public static RiskBracketTable Create(IReadOnlyList<RiskBracketSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        Require.That(specs.Count > 0, ErrorCodes.InvalidMarket, "A market needs at least one risk bracket.");
        Require.That(specs[0].NotionalFloor == 0m, ErrorCodes.InvalidMarket, "The first risk bracket's notional floor must be 0.");

        var rows = new RiskBracket[specs.Count];
        var cum = 0m;
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            Require.That(spec.MaxLeverage >= 1, ErrorCodes.InvalidMarket, $"Bracket {i + 1}: max leverage must be at least 1 (was {spec.MaxLeverage}).");
            Require.That(spec.MaintenanceMarginRate > 0m && spec.MaintenanceMarginRate < 1m, ErrorCodes.InvalidMarket,
                $"Bracket {i + 1}: maintenance margin rate must be between 0 and 1 exclusive (was {spec.MaintenanceMarginRate}).");
            // A position opened at the bracket's maximum leverage must start above maintenance.
            Require.That(spec.MaintenanceMarginRate * spec.MaxLeverage <= 1m, ErrorCodes.InvalidMarket,
                $"Bracket {i + 1}: maintenance margin rate {spec.MaintenanceMarginRate} is above the initial margin rate 1/{spec.MaxLeverage}.");
            if (i > 0)
            {
                var previous = specs[i - 1];
                Require.That(spec.NotionalFloor > previous.NotionalFloor, ErrorCodes.InvalidMarket,
                    $"Bracket {i + 1}: notional floors must increase strictly ({spec.NotionalFloor} after {previous.NotionalFloor}).");
                Require.That(spec.MaintenanceMarginRate >= previous.MaintenanceMarginRate, ErrorCodes.InvalidMarket,
                    $"Bracket {i + 1}: maintenance margin rate must not fall as notional grows.");
                Require.That(spec.MaxLeverage <= previous.MaxLeverage, ErrorCodes.InvalidMarket,
                    $"Bracket {i + 1}: max leverage must not rise as notional grows.");
                cum += spec.NotionalFloor * (spec.MaintenanceMarginRate - previous.MaintenanceMarginRate);
            }

            rows[i] = new RiskBracket(spec.NotionalFloor, spec.MaxLeverage, spec.MaintenanceMarginRate, cum);
        }

        return new RiskBracketTable(rows);
    }

    /// <summary>The index of the bracket a notional falls in: the largest floor ≤ notional.</summary>
    public int IndexOf(decimal notional)
    {
        var floors = _floors;
        for (var i = floors.Length - 1; i > 0; i--)
        {
            if (floors[i] <= notional)
            {
                return i;
            }
        }

        return 0;
    }

    public RiskBracket For(decimal notional) => _brackets[IndexOf(notional)];

    /// <summary><c>MM = N·MMR − cum</c> of the bracket that <paramref name="notional"/> falls in.</summary>
    public decimal MaintenanceMargin(decimal notional)
    {
        var bracket = _brackets[IndexOf(notional)];
        return (notional * bracket.MaintenanceMarginRate) - bracket.MaintenanceAmount;
    }

    /// <summary>The exclusive upper bound of bracket <paramref name="index"/> (the next floor), or null for the top bracket.</summary>
    public decimal? CeilingOf(int index) => index + 1 < _floors.Length ? _floors[index + 1] : null;
}
