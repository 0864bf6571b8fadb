using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

public sealed class BracketVectorTests
{
    public static TheoryData<string> Cases => VectorFile.Ids("risk-brackets");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derived_maintenance_amounts_and_checks_match(string id)
    {
        var vector = VectorFile.Case("risk-brackets", id);
        var table = RiskBracketTable.Create([.. vector.GetProperty("brackets").EnumerateArray()
            .Select(b => new RiskBracketSpec(b.Dec("notionalFloor"), b.GetProperty("maxLeverage").GetInt32(), b.Dec("maintenanceMarginRate")))]);

        var expectedCum = vector.GetProperty("expectCum").EnumerateArray().Select(e => e.Dec()).ToArray();
        Assert.Equal(expectedCum, table.Brackets.Select(b => b.MaintenanceAmount).ToArray());

        if (!vector.TryGetProperty("checks", out var checks))
        {
            return;
        }

        foreach (var check in checks.EnumerateArray())
        {
            var notional = check.Dec("notional");
            if (check.Has("expectMaintenanceMarginRate"))
            {
                Assert.Equal(check.Dec("expectMaintenanceMarginRate"), table.For(notional).MaintenanceMarginRate);
            }

            if (check.Has("expectMaintenanceMargin"))
            {
                Assert.Equal(check.Dec("expectMaintenanceMargin"), table.MaintenanceMargin(notional));
            }
        }
    }
}
