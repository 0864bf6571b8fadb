namespace MarginGrid.Domain.Accounts;

/// <summary>A command an account has applied, with its content's fingerprint, so a snapshot still refuses a changed replay.</summary>
public sealed record AppliedCommand(string Key, string Fingerprint);
