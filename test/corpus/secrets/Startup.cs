using System;

public static class Secrets
{
    public const string HeaderName = "X-Api-Key";
    public static readonly string ConnectionString = "Server=db;Database=billing;User Id=billing;Password=" + Environment.GetEnvironmentVariable("DB_PASSWORD");
    public static string ClientSecret = "8vUlWehaR0hi0JqnfVEuMADgQ2sVEdhSJ9"; // expect: secret.generic-assignment
    public static string PasswordPrompt = "Please enter your password";
}
