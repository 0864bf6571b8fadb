namespace MarginGrid.LoadTest.Trading;

/// <summary>Compares the load test's journal with a reading of the ledger: pure logic, no grid.</summary>
public static class CommandCheck
{
    public static CommandCheckResult Compare(IEnumerable<JournalEntry> journal, LedgerReading ledger)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(ledger);
        int checkedCount = 0, lost = 0, duplicated = 0, ghosts = 0, unresolved = 0;
        var examples = new List<string>();
        var modelFees = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        void Example(string text)
        {
            if (examples.Count < 10)
            {
                examples.Add(text);
            }
        }

        foreach (var entry in journal)
        {
            known.Add(entry.CommandId);
            var rows = ledger.RowsByCommand.GetValueOrDefault(entry.CommandId);
            checkedCount++;
            switch (entry.Outcome)
            {
                case CommandOutcome.Acknowledged:
                    modelFees[entry.Account] = modelFees.GetValueOrDefault(entry.Account) + entry.Fee;
                    if (rows == 0)
                    {
                        lost++;
                        Example($"lost: {entry.CommandId} on {entry.Account} was acknowledged and is not in the ledger");
                    }
                    else if (rows > 1)
                    {
                        duplicated++;
                        Example($"duplicated: {entry.CommandId} on {entry.Account} is in the ledger {rows} times");
                    }

                    break;
                case CommandOutcome.Refused when rows > 0:
                    ghosts++;
                    Example($"ghost: {entry.CommandId} on {entry.Account} was refused ({entry.Reply}) and is in the ledger");
                    break;
                case CommandOutcome.Unknown:
                    unresolved++;
                    Example($"unresolved: {entry.CommandId} on {entry.Account} never got an answer ({entry.Reply})");
                    break;
            }
        }

        foreach (var (command, rows) in ledger.RowsByCommand)
        {
            if (rows > 0 && !known.Contains(command))
            {
                ghosts++;
                Example($"ghost: {command} is in the ledger and was never sent");
            }
        }

        var mismatches = 0;
        foreach (var account in modelFees.Keys.Union(ledger.FeesByAccount.Keys))
        {
            var model = modelFees.GetValueOrDefault(account);
            var actual = ledger.FeesByAccount.GetValueOrDefault(account);
            if (model != actual)
            {
                mismatches++;
                Example($"balance: {account} paid {actual} in fees by the ledger, {model} by the journal");
            }
        }

        return new CommandCheckResult(checkedCount, lost, duplicated, ghosts, unresolved, mismatches, examples);
    }
}
