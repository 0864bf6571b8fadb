using System.Globalization;
using System.Net;
using MarginGrid.Domain.Accounts;
using MarginGrid.Grains.Persistence;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// Two activations of one account (briefly possible while silos join or leave) both try to append: the one that
/// loses the race must answer a retryable 503, apply nothing, and the retry with the same id must apply once.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class AppendConflictTests(GridApp app)
{
    [Fact]
    public async Task An_append_that_loses_to_another_activation_is_a_retryable_503_and_the_retry_applies_once()
    {
        const string accountId = "append-conflict-1";
        await app.Admin.Deposit(accountId, "first", "CNF", "1");

        // Another activation's deposit lands in the log behind this activation's back.
        var log = app.Services.GetRequiredService<IEventLog>();
        var stream = $"account:{accountId}";
        var other = new Account(accountId);
        var stored = await log.Read(stream);
        foreach (var e in stored)
        {
            other.Apply((AccountEvent)e.Event);
        }

        var foreign = other.DecideDeposit("elsewhere", "CNF", 5m)!;
        await log.Append(stream, stored.Count, [new StoredEvent(foreign, DateTimeOffset.UtcNow)]);

        var refused = await app.Admin.Post($"/v1/accounts/{accountId}/deposits", new { transferId = "mine", asset = "CNF", amount = "3" });
        Assert.True(refused.Status == HttpStatusCode.ServiceUnavailable, $"{(int)refused.Status}: {refused.Body}");
        Assert.Equal("ledger_conflict", refused.Code);
        Assert.NotNull(refused.RetryAfter);
        Assert.Equal(2, (await log.Read(stream)).Count);

        var retried = await app.Admin.Post($"/v1/accounts/{accountId}/deposits", new { transferId = "mine", asset = "CNF", amount = "3" });
        Assert.True(retried.IsSuccess, retried.Body);
        var again = await app.Admin.Post($"/v1/accounts/{accountId}/deposits", new { transferId = "mine", asset = "CNF", amount = "3" });
        Assert.True(again.Replayed, again.Body);
        Assert.Equal(3, (await log.Read(stream)).Count);
        var wallet = (await app.Admin.Margin(accountId))["scopes"]![0]!["walletBalance"]!.GetValue<string>();
        Assert.Equal(9m, decimal.Parse(wallet, CultureInfo.InvariantCulture));
    }
}
