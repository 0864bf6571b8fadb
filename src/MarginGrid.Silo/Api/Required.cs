namespace MarginGrid.Silo.Api;

/// <summary>Shape checks shared by request bodies: the grains check the rules, these check presence.</summary>
public static class Required
{
    public static (string Code, string Detail)? Fields(params (string Name, object? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
            {
                return ("missing_field", $"'{name}' is required.");
            }
        }

        return null;
    }
}
