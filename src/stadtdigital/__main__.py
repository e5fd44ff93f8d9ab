from stadtdigital.cli import main

main()
