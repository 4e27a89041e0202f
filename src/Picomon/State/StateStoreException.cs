namespace Picomon.State;

/// <summary>The state database cannot be used at start-up. The message is one line naming the path and the
/// reason (<c>cannot open state database /x/picomon.db: file is not a database</c>), ready to print before
/// exiting with status 2. Never thrown once the store is open: runtime failures are logged instead.</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);
