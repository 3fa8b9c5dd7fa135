"""Reading the export (layer 4): zip and folder safety, encodings and headers, checking each CSV, and what
LinkedIn's files hold. The only code that knows the export's file names, headers and date formats; nothing
above the checks imports it."""
