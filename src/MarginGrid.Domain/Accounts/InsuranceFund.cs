using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// The insurance fund of one settlement asset: its balance is the sum of the ledger entries addressed to
/// it, and it never goes negative; a transaction that would take it below zero is refused whole.
/// </summary>
public sealed class InsuranceFund
{
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);
    private readonly LedgerAccount _account;

    public InsuranceFund(string asset)
    {
        Require.That(!string.IsNullOrWhiteSpace(asset), ErrorCodes.InvalidArgument, "An insurance fund needs an asset.");
        Asset = asset;
        _account = LedgerAccount.InsuranceFund(asset);
    }

    public string Asset { get; }

    public decimal Balance { get; private set; }

    /// <summary>What the fund can pay towards <paramref name="deficit"/> now.</summary>
    public decimal CanPay(decimal deficit) => Math.Max(0m, Math.Min(deficit, Balance));

    /// <summary>A deposit that seeds the fund from outside.</summary>
    public LedgerTransaction DecideDeposit(string transferId, decimal amount)
    {
        Require.Id(transferId, "A transfer id");
        Require.Positive(amount, "Amount", ErrorCodes.InvalidAmount);
        GridBounds.Amount(amount, Account.DefaultAssetDecimals, "Amount");
        GridBounds.Within(Balance + amount, GridBounds.MaxAmount, $"The {Asset} insurance fund's resulting balance");
        return LedgerTransaction.Create(DepositTransactionId(transferId), "fund-deposit",
            new LedgerLeg(LedgerAccount.External(Asset), -amount, EntryKind.FundDeposit),
            new LedgerLeg(_account, amount, EntryKind.FundDeposit));
    }

    /// <summary>
    /// The ledger id of a fund deposit: the asset makes it unique in the whole ledger, as the account id does
    /// for an account's transactions (two funds may each be seeded with transfer id "seed").
    /// </summary>
    public string DepositTransactionId(string transferId) => $"fund-transfer:{transferId}@{Asset}";

    /// <summary>The id fund deposits had before it carried the asset: a retry of such a deposit is still a replay.</summary>
    public static string LegacyDepositTransactionId(string transferId) => $"fund-transfer:{transferId}";

    /// <summary>
    /// A payout of up to <paramref name="requested"/> towards a liquidation's deficit, into
    /// <paramref name="target"/> (the liquidated scope): what the fund holds, never more. Null when it
    /// holds nothing. Idempotent by operation id through the transaction id. The payout is booked at the
    /// asset's precision, rounded down (the fund never pays a fraction of the smallest unit; what is left is
    /// the deficit's), whatever precision the request came with.
    /// </summary>
    public LedgerTransaction? DecidePayout(string operationId, LedgerAccount target, decimal requested)
    {
        Require.CompositeId(operationId, "An operation id");
        Require.NotNegative(requested, "Requested payout", ErrorCodes.InvalidAmount);
        Require.That(target.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin && target.Asset == Asset,
            ErrorCodes.InvalidArgument, $"A payout of the {Asset} fund goes to a trader's {Asset} wallet or isolated margin.");
        var amount = MoneyRounding.PayDown(CanPay(requested), Account.DefaultAssetDecimals);
        return amount == 0m ? null : PayoutTransaction(operationId, target, amount);
    }

    /// <summary>The transaction of a payout: the fund decides it, and the account credits the same transaction.</summary>
    public static LedgerTransaction PayoutTransaction(string operationId, LedgerAccount target, decimal amount) =>
        LedgerTransaction.Create($"fund-payout:{operationId}", "insurance-payout",
            new LedgerLeg(LedgerAccount.InsuranceFund(target.Asset), -amount, EntryKind.InsurancePayout),
            new LedgerLeg(target, amount, EntryKind.InsurancePayout));

    /// <summary>The fund's record of a liquidation fee that a settlement credited to it from <paramref name="source"/>.</summary>
    public LedgerTransaction DecideFee(string operationId, LedgerAccount source, decimal amount)
    {
        Require.CompositeId(operationId, "An operation id");
        Require.Positive(amount, "Liquidation fee", ErrorCodes.InvalidAmount);
        return LedgerTransaction.Create($"fund-fee:{operationId}", "liquidation-fee",
            new LedgerLeg(source, -amount, EntryKind.LiquidationFee),
            new LedgerLeg(_account, amount, EntryKind.LiquidationFee));
    }

    public bool HasApplied(string transactionId) => _applied.Contains(transactionId);

    /// <summary>Applies the fund's legs of a transaction once; returns false for a replay.</summary>
    public bool Apply(LedgerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_applied.Contains(transaction.TransactionId))
        {
            return false;
        }

        var delta = transaction.NetFor(_account);
        Require.That(Balance + delta >= 0m, ErrorCodes.InsufficientMargin,
            $"The {Asset} insurance fund holds {Balance} and cannot pay {-delta}.");
        Balance += delta;
        _applied.Add(transaction.TransactionId);
        return true;
    }
}
