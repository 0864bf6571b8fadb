namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// One funding payment of an account: what one settlement moved on its balance (negative: it paid).
/// <see cref="Realised"/> when the ledger holds it; otherwise it is counted in every figure but still to be
/// written (<c>pendingFunding</c> of the margin view). <see cref="Number"/> counts the account's payments from 1,
/// oldest first; <see cref="Round"/>, <see cref="Rate"/> and <see cref="MarkPrice"/> are the market's round, when known.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.FundingPaymentView")]
public sealed record FundingPaymentView(
    [property: Id(0)] long Number,
    [property: Id(1)] string SettlementId,
    [property: Id(2)] string Symbol,
    [property: Id(3)] long? Round,
    [property: Id(4)] decimal? Rate,
    [property: Id(5)] decimal? MarkPrice,
    [property: Id(6)] string Account,
    [property: Id(7)] string Asset,
    [property: Id(8)] decimal Amount,
    [property: Id(9)] bool Realised,
    [property: Id(10)] DateTimeOffset? RealisedAt);
