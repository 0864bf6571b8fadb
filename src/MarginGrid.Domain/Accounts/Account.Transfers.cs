using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Margin;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>Credits <paramref name="amount"/> of <paramref name="asset"/> from outside the grid.</summary>
    public AccountEvent? DecideDeposit(string transferId, string asset, decimal amount)
    {
        var (key, fingerprint) = CheckTransfer(transferId, "deposit", asset, amount);
        if (IsReplay(key, fingerprint))
        {
            return null;
        }

        var transaction = LedgerTransaction.Create(TransactionId(key), "deposit",
            new LedgerLeg(LedgerAccount.External(asset), -amount, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet(Id, asset), amount, EntryKind.Deposit));
        return NewEvent(key, fingerprint, "deposit", transaction);
    }

    /// <summary>Pays <paramref name="amount"/> out; refused above the withdrawable amount <c>min(WB, availableBalance)</c>.</summary>
    public AccountEvent? DecideWithdrawal(string transferId, string asset, decimal amount, IMarketContext context, MarginLevelThresholds thresholds)
    {
        var (key, fingerprint) = CheckTransfer(transferId, "withdrawal", asset, amount);
        if (IsReplay(key, fingerprint))
        {
            return null;
        }

        var withdrawable = MarginCalculator.CrossScope(asset, Wallet(asset), MarkPositions(context), thresholds).Withdrawable;
        Require.That(amount <= withdrawable, ErrorCodes.AboveWithdrawable,
            $"Withdrawal of {amount} {asset} is above the withdrawable amount {withdrawable}.");
        var transaction = LedgerTransaction.Create(TransactionId(key), "withdrawal",
            new LedgerLeg(LedgerAccount.Wallet(Id, asset), -amount, EntryKind.Withdrawal),
            new LedgerLeg(LedgerAccount.External(asset), amount, EntryKind.Withdrawal));
        return NewEvent(key, fingerprint, "withdrawal", transaction);
    }

    private static (string Key, string Fingerprint) CheckTransfer(string transferId, string kind, string asset, decimal amount)
    {
        Require.Id(transferId, "A transfer id");
        Require.That(Identifiers.IsAsset(asset), ErrorCodes.InvalidArgument, "An asset is 1 to 32 letters or digits.");
        Require.Positive(amount, "Amount", ErrorCodes.InvalidAmount);
        GridBounds.Amount(amount, DefaultAssetDecimals, "Amount");
        return ($"transfer:{transferId}", Fingerprint.Of(kind, asset, amount));
    }
}
