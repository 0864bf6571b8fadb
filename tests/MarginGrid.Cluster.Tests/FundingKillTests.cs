using System.Globalization;
using System.Text.Json;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// A funding round cut by kill -9 of the silo that hosts the market, the moment the round was asked of it: once
/// the settlement is answered (resent with its id), every holder has paid or received exactly its share of the
/// market's recorded rate, once, in the ledger.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FundingKillTests(ITestOutputHelper output)
{
    private const decimal Rate = 0.001m;

    /// <summary>The mark the round settles at (a new price: a mark equal to the last one moves no counter).</summary>
    private const decimal MarkAtRound = 30001m;

    [Fact]
    public async Task A_funding_round_cut_by_a_kill_of_the_markets_silo_charges_every_holder_exactly_once()
    {
        var figures = new Figures(output, "funding round cut by kill -9 of the market's silo");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "funding");
        await scenario.Open(longs: 12, shorts: 3);

        // The market's host: the silo whose marks counter moves when a mark is posted.
        var host = (await cluster.SilosWhoseCounterMoved("margingrid_marks_total", () => scenario.Mark(MarkAtRound), TimeSpan.FromSeconds(1.5))).Single();

        // The round is asked of the host itself, which is killed as soon as the request is on its way.
        var settlement = new { settlementId = "funding-cut-1", rate = Rate.ToString(CultureInfo.InvariantCulture) };
        var path = $"/v1/markets/{TradingScenario.Symbol}/funding-settlements";
        var cut = GridApi.Once(host, HttpMethod.Post, path, settlement);
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        host.KillNine();
        var firstAnswered = await Answered(cut);
        figures.Add("the round asked of the market's host answered before the kill", firstAnswered);

        // The settlement resent with its id until it is answered, by another silo, on the market's next activation.
        var reply = await cluster.Api.Send(HttpMethod.Post, path, settlement, TimeSpan.FromSeconds(240));
        Assert.True(reply.Status == System.Net.HttpStatusCode.OK, $"the settlement resent after the kill: {(int)reply.Status} {reply.Body}");
        figures.Add("the resend's answer", $"alreadyApplied={reply.Body.GetProperty("alreadyApplied")}, holders={reply.Body.GetProperty("holdersSettled")}, sends={reply.Attempts}");
        Assert.Equal(1, reply.Body.GetProperty("settlement").GetProperty("sequence").GetInt64());

        // Every holder's payment, against the model: rate × mark × size, paid by longs, received by shorts, once.
        var wrong = new List<string>();
        foreach (var account in scenario.Accounts)
        {
            var size = account.Contains("-long-", StringComparison.Ordinal) ? 1m : -(decimal)scenario.Longs.Count / 3;
            var expected = -size * MarkAtRound * Rate;
            var payments = (await cluster.Api.Ok(HttpMethod.Get, $"/v1/accounts/{account}/funding")).EnumerateArray()
                .Where(p => p.GetProperty("settlementId").GetString() == "funding-cut-1").ToList();
            if (payments.Count != 1 || Decimal(payments[0].GetProperty("amount")) != expected)
            {
                wrong.Add($"{account}: {payments.Count} payments ({string.Join(", ", payments.Select(p => p.GetProperty("amount").GetString()))}), model {expected}");
            }
        }

        figures.Add("holders whose payment differs from the model", wrong.Count);
        Assert.True(wrong.Count == 0, $"funding payments that differ from the model:\n{string.Join('\n', wrong)}");

        // Each account's next command writes its payment to its ledger; then the ledger's funding legs must be the
        // model's too, and the balances, fund and reconciliation checks hold.
        foreach (var account in scenario.Accounts)
        {
            await scenario.Deposit(account, $"after-funding-{account}", 1m);
        }

        var ledger = await new LedgerFacts(cluster.Ledgers).EntrySums([.. scenario.Accounts], "Wallet", "USDT", "Funding");
        Assert.All(scenario.Accounts, a => Assert.Equal(
            (a.Contains("-long-", StringComparison.Ordinal) ? -1m : (decimal)scenario.Longs.Count / 3) * MarkAtRound * Rate, ledger.GetValueOrDefault(a)));
        await scenario.AssertNothingLost(figures);

        // Reconciliation proves every payment against the recorded round on its own: all holders paid it, none owes it.
        var round = (await scenario.ReconcileExact()).GetProperty("fundingRounds").EnumerateArray()
            .Single(r => r.GetProperty("settlementId").GetString() == "funding-cut-1");
        var longsPay = scenario.Longs.Count * MarkAtRound * Rate;
        figures.Add("reconciliation's tally of the round", round.ToString());
        Assert.Equal((scenario.Accounts.Count, 0, longsPay, longsPay),
            (round.GetProperty("payments").GetInt32(), round.GetProperty("due").GetInt32(), Decimal(round.GetProperty("paid")), Decimal(round.GetProperty("received"))));
    }

    private static async Task<bool> Answered(Task<(System.Net.HttpStatusCode Status, JsonElement Body)> attempt)
    {
        try
        {
            return (await attempt).Status == System.Net.HttpStatusCode.OK;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static decimal Decimal(JsonElement value) => decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}
