using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Common;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>A refusal of the rules keeps its type and code across the wire (a client, another silo), so callers map it, not a 500.</summary>
public sealed class ErrorCrossingTests
{
    [Fact]
    public async Task A_domain_refusal_reaches_a_remote_caller_with_its_code()
    {
        await using var grid = await TwoSiloCluster.Start();
        var account = grid.Client.GetGrain<IAccountLiquidation>("cross-err-1");

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            account.ApplyLiquidationTrade("op-1", "full", new ScopeKey("XERR", null), "NOSUCHUSDT", 1m, 1m, deleveraged: false));
        Assert.Equal(ErrorCodes.UnknownMarket, error.Code);
        Assert.Equal(DomainErrorKind.NotFound, error.Kind);
        Assert.Contains("NOSUCHUSDT", error.Message, StringComparison.Ordinal);
    }
}
