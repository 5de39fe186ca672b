from zwgk_cli.cli import main

main()
