"""The outputs (layer 7): all presentation. `render` decides what each output holds (HTML, JSON, CSVs) and
`outputs` writes them all or nothing; `view` and its helpers turn an audit into what the page shows;
`json` and `schema` are the machine contract; `csv` the spreadsheets. Never imports the reader."""
