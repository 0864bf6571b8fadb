using System.Text.Json;
using System.Text.Json.Serialization;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Markets;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Events as JSON (jsonb in PostgreSQL), so that an operator can read the ledger with SQL. Amounts are
/// JSON numbers written from <see cref="decimal"/> and read back into it: exact, scale included.
/// </summary>
public static class EventCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(), new LedgerTransactionConverter() },
    };

    public static (string Type, string Json) Encode(object storedEvent) => storedEvent switch
    {
        AccountEvent e => ("account", JsonSerializer.Serialize(e, Options)),
        LedgerTransaction t => ("transaction", JsonSerializer.Serialize(t, Options)),
        HolderChange h => ("holder", JsonSerializer.Serialize(h, Options)),
        FundingSettlement f => ("funding-round", JsonSerializer.Serialize(f, Options)),
        _ => throw new ArgumentException($"No encoding for {storedEvent.GetType().Name}.", nameof(storedEvent)),
    };

    public static object Decode(string type, string json) => type switch
    {
        "account" => JsonSerializer.Deserialize<AccountEvent>(json, Options) as object,
        "transaction" => JsonSerializer.Deserialize<LedgerTransaction>(json, Options),
        "holder" => JsonSerializer.Deserialize<HolderChange>(json, Options),
        "funding-round" => JsonSerializer.Deserialize<FundingSettlement>(json, Options),
        _ => null,
    } ?? throw new InvalidOperationException($"Cannot decode an event of type '{type}'.");

    /// <summary>The idempotency key a stored event carries, kept in its own column.</summary>
    public static string? CommandKey(object storedEvent) => storedEvent switch
    {
        AccountEvent e => e.CommandKey,
        LedgerTransaction t => t.TransactionId,
        FundingSettlement f => $"funding-round:{f.SettlementId}",
        _ => null,
    };
}
