using CsCheck;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>margin-rules.md section 9: MM(N) is continuous across bracket floors.</summary>
public sealed class BracketProperties
{
    [Fact]
    public void Maintenance_margin_is_continuous_at_every_floor()
    {
        Generators.Brackets(1_000m).Sample(specs =>
        {
            var table = RiskBracketTable.Create(specs);
            for (var k = 1; k < table.Count; k++)
            {
                var below = table[k - 1];
                var at = table[k];
                var fromBelow = (at.NotionalFloor * below.MaintenanceMarginRate) - below.MaintenanceAmount;
                Assert.Equal(fromBelow, table.MaintenanceMargin(at.NotionalFloor));
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Maintenance_margin_never_jumps_more_than_the_top_rate_allows()
    {
        Gen.Select(Generators.Brackets(1_000m), Gen.Int[0, 10_000_000], Gen.Int[0, 100_000]).Sample((specs, n, d) =>
        {
            var table = RiskBracketTable.Create(specs);
            var notional = n / 1m;
            var step = d / 100m;
            var rise = table.MaintenanceMargin(notional + step) - table.MaintenanceMargin(notional);
            Assert.InRange(rise, step * table[0].MaintenanceMarginRate, step * table[table.Count - 1].MaintenanceMarginRate);
        }, iter: 10_000);
    }
}
