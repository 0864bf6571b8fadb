namespace MarginGrid.Abstractions.Accounts;

/// <summary>One ledger entry of an account, as <c>GET /v1/accounts/{id}/ledger</c> lists it.</summary>
[GenerateSerializer, Immutable, Alias("mg.LedgerEntryView")]
public sealed record LedgerEntryView(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string EntryId,
    [property: Id(2)] string TransactionId,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Account,
    [property: Id(5)] string Asset,
    [property: Id(6)] decimal Amount,
    [property: Id(7)] DateTimeOffset At);
