using System.Text.Json;
using System.Text.Json.Serialization;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// A transaction as its id, kind and legs. Reading it back goes through <see cref="LedgerTransaction.Create"/>,
/// which renumbers the same entry ids and refuses a transaction that does not balance.
/// </summary>
public sealed class LedgerTransactionConverter : JsonConverter<LedgerTransaction>
{
    public override LedgerTransaction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<StoredTransaction>(ref reader, options)
            ?? throw new JsonException("A ledger transaction is an object.");
        var legs = stored.Legs.Select(l => new LedgerLeg(new LedgerAccount(l.AccountKind, l.Owner, l.Symbol, l.Asset), l.Amount, l.Kind)).ToArray();
        var transaction = LedgerTransaction.Create(stored.Id, stored.Kind, legs);
        return transaction.Entries.Length == legs.Length
            ? transaction
            : throw new JsonException($"Transaction {stored.Id} holds a zero leg.");
    }

    public override void Write(Utf8JsonWriter writer, LedgerTransaction value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        var legs = value.Entries.Select(e => new StoredLeg(e.Account.Kind, e.Account.Owner, e.Account.Symbol, e.Account.Asset, e.Amount, e.Kind)).ToList();
        JsonSerializer.Serialize(writer, new StoredTransaction(value.TransactionId, value.Kind, legs), options);
    }

    private sealed record StoredTransaction(string Id, string Kind, List<StoredLeg> Legs);

    private sealed record StoredLeg(LedgerAccountKind AccountKind, string Owner, string Symbol, string Asset, decimal Amount, EntryKind Kind);
}
