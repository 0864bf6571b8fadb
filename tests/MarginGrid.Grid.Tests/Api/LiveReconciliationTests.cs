using MarginGrid.Abstractions.Ledger;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// A venue reconciles while it trades: accounts that move on between the reading of their streams and the question
/// to their grains are compared at their own version, so commands arriving meanwhile are never reported as differences.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class LiveReconciliationTests(GridApp app)
{
    [Fact]
    public async Task Reconciliation_during_a_stream_of_deposits_reports_nothing_for_the_accounts_moving()
    {
        var ids = Enumerable.Range(0, 16).Select(i => $"lrc-{i:00}").ToList();
        foreach (var id in ids)
        {
            await app.Admin.Deposit(id, $"{id}-0", "USDT", "1");
        }

        // Each run is started together with a round of deposits to every account, so the two overlap.
        var reconciliation = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IReconciliationGrain>("ledger");
        var reports = new List<ReconciliationReport>();
        for (var n = 1; n <= 20; n++)
        {
            var round = n;
            var running = reconciliation.Run();
            await Task.WhenAll(ids.Select(id => app.Admin.Deposit(id, $"{id}-{round}", "USDT", "1")));
            reports.Add(await running);
        }

        Assert.All(reports, r => Assert.Empty(r.Differences.Where(d => d.Subject.Contains("lrc-", StringComparison.Ordinal))));
    }
}
