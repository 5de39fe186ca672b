"""Reading issued tables (text, .docx, .xlsx, .html) into a plan."""
