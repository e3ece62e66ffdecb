"""Small CSV tables of patients and answers shared by import tests."""

PATIENTS = (
    "mrn,given_name,family_name,birth_date,sex,email,phone\n"
    "A-1,Ines,Berg,1970-01-31,female,,\n"
    "A-2,Omar,Falk,1958-07-04,male,omar@example.org,\n"
)


RESPONSES = (
    "mrn,instrument,completed_at,odi_1,odi_2,odi_3,odi_4,odi_5,odi_6,odi_7,odi_8,odi_9,odi_10,nrs_back\n"
    "A-1,odi,2024-12-28T10:00:00+00:00,4,4,3,3,4,4,3,,4,3,\n"
    "A-1,nrs_back,2024-12-28T10:00:00+00:00,,,,,,,,,,,7\n"
    "A-1,odi,2025-04-20T10:00:00+00:00,1,1,1,1,1,1,1,,1,1,\n"
)
