namespace MarginGrid.Silo.Api;

/// <summary>A request body that can say what is missing before any grain sees it.</summary>
public interface IValidatable
{
    /// <summary>The first missing or malformed field, or null when the shape is complete.</summary>
    (string Code, string Detail)? Validate();
}
