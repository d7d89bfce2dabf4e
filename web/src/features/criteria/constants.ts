/** Where the criteria page lives; the hub serves the dashboard for any non-API path. */
export const CRITERIA_PATH = '/chi-tieu';
