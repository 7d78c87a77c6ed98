"""Targets the figures are measured against: named and cited in one place.

- Return home interviews: Department for Education, "Children who run away or go missing from home or
  care: statutory guidance for local authorities" (January 2014), paragraph 48: a return interview
  "should be undertaken within 72 hours of the child returning". The target is therefore every child:
  100%. (Nationally only about 63% are held on time; Harbour's domain reference, "Missing children".)
- Police protection: Children Act 1989, s46(6): no child may be kept in police protection for more
  than 72 hours (see harbour.missing.rules for the clock itself).
"""

RHI_TARGET_PERCENT = 100
RHI_TARGET_HOURS = 72
POLICE_PROTECTION_LIMIT_HOURS = 72
