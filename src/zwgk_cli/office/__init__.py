"""Office file formats shared by intake, feedback and render: .docx and .xlsx tables, fixed zip times."""
