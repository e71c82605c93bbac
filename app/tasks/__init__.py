"""Background tasks: long work (a company-wide manual, an appraisal-cycle launch, a big import)
queued with huey and run by a consumer, with its progress, result file and error kept in the
``tasks`` table so that its owner can follow it. See ``services`` for the API."""
