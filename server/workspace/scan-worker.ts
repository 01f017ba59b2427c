/** Worker thread that scans files for the workspace scanner. (Being built.) */
export {};
