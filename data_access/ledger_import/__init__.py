"""Loading the bureau's Excel ledgers into the service database (``python -m data_access.ledger_import``).

A writing command kept apart from the dashboard, which only reads. ``columns`` says what a
workbook holds, ``template`` and ``export`` write one, ``read`` and ``check`` take one in
(nothing written), ``load`` writes it in one transaction.
"""
