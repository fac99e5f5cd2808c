/**
 * Hand-written model answers for the example flows' recordings. No real model is reachable while
 * flowops is built, so these are what a chat model plausibly answers, written by hand, with the usual
 * mistakes left in on purpose (a missed or extra entity, changed casing, a dropped accent, a plural),
 * more of them for the plain prompt (variant_0) than for the few-shot one (variant_1), so evaluation
 * metrics are not all 1.0 and the variants differ. `write-recordings.ts` turns them into recordings.
 */

/** The NER flow's answers, keyed by the `text` input, for each prompt variant. */
export const nerAnswers: Record<string, { variant_0: string; variant_1: string }> = {
  // the flow's default inputs
  "Maxime is a data scientist at Auto Dataset, and his wife is a finance manager in the same company.": {
    variant_0: "data scientist, finance manager",
    variant_1: "data scientist, finance manager",
  },
  // README.md's examples (the tour's `flow test`, the `flow serve` curl, the loadFlow snippet)
  "The project manager and the data analyst are collaborating.": {
    variant_0: "project manager, data analyst",
    variant_1: "project manager, data analyst",
  },
  "Ada Lovelace met Charles Babbage.": {
    variant_0: "Ada Lovelace, Charles Babbage",
    variant_1: "Ada Lovelace, Charles Babbage",
  },
  // data/ner-train.jsonl
  "The project manager and the data analyst are collaborating to interpret the project data.": {
    variant_0: "Project Manager, Data Analyst",
    variant_1: "project manager, data analyst",
  },
  "Our new head nurse starts on Monday, and the hospital pharmacist will brief her on the dispensing rules.":
    {
      variant_0: "head nurse, pharmacist",
      variant_1: "head nurse, hospital pharmacist",
    },
  "After the keynote, the chief financial officer answered questions while a sound engineer fixed the microphones.":
    {
      variant_0: "chief financial officer, sound engineer, keynote speaker",
      variant_1: "chief financial officer, sound engineer",
    },
  "The bakery on the corner has sold the same sourdough loaf since 1987.": {
    variant_0: "baker",
    variant_1: "None",
  },
  "Marie Curie shared the 1903 Nobel Prize in Physics with Pierre Curie and Henri Becquerel.": {
    variant_0: "Marie Curie, Pierre Curie, Henri Becquerel",
    variant_1: "Marie Curie, Pierre Curie, Henri Becquerel",
  },
  "In the meeting notes, Kenji Watanabe asked Priya Raman to send the revised budget by Friday.": {
    variant_0: "Kenji Watanabe, Priya Raman.",
    variant_1: "Kenji Watanabe, Priya Raman",
  },
  "The striker scored twice in the second half, and the coach praised the defence afterwards.": {
    variant_0: "the striker, the coach",
    variant_1: "None",
  },
  "We drove from Lisbon to Porto along the coast, stopping overnight in Nazaré.": {
    variant_0: "Lisbon, Porto, Nazaré",
    variant_1: "Lisbon, Porto, Nazare",
  },
  "The conference moved from Osaka to a venue near Lake Biwa after the typhoon warning.": {
    variant_0: "Osaka",
    variant_1: "Osaka, Lake Biwa",
  },
  "Snow closed the pass between Innsbruck and Bolzano for most of January.": {
    variant_0: "Innsbruck, Bolzano",
    variant_1: "Innsbruck, Bolzano",
  },
  "The partnership between Contoso Pharmaceuticals and the World Health Organization was announced on Tuesday.":
    {
      variant_0: "Contoso Pharmaceuticals, World Health Organization (WHO)",
      variant_1: "Contoso Pharmaceuticals, World Health Organization",
    },
  "She left Fabrikam to join the research team at the European Space Agency.": {
    variant_0: "Fabrikam, European Space Agency",
    variant_1: "Fabrikam, the European Space Agency",
  },
  "The audit was carried out by Northwind Traders' internal controls group, not by an outside firm.": {
    variant_0: "Northwind Traders, internal controls group",
    variant_1: "Northwind Traders",
  },
  "The lease runs from 1 April 2024 to 31 March 2026, with a rent review on 1 October 2025.": {
    variant_0: "1 April 2024, 31 March 2026, 1 October 2025",
    variant_1: "1 April 2024, 31 March 2026, 1 October 2025",
  },
  "The museum was founded on 4 July 1926, and reopened after renovation in spring 2019.": {
    variant_0: "4 July 1926",
    variant_1: "4 July 1926, spring 2019",
  },
  "Please bring your passport to the appointment; it takes about twenty minutes.": {
    variant_0: "twenty minutes",
    variant_1: "None",
  },
  "I replaced my old Kindle Paperwhite with a Kobo Clara, but I still use the Sony WH-1000XM4 headphones daily.":
    {
      variant_0: "Kindle Paperwhite, Kobo Clara, Sony WH-1000XM4 headphones",
      variant_1: "Kindle Paperwhite, Kobo Clara, Sony WH-1000XM4",
    },
  "The lab standardised on the Raspberry Pi 5 for sensors and an Arduino Uno for the motor controller.": {
    variant_0: "Raspberry Pi 5, Arduino Uno",
    variant_1: "Raspberry Pi 5, Arduino Uno",
  },
  "Visitors can pay by card at the entrance, and children under six go in free.": {
    variant_0: "card",
    variant_1: "None",
  },
  "The ticket was paid in euros, but the refund came back in Swiss francs and Japanese yen.": {
    variant_0: "euros, Swiss francs, Japanese yen",
    variant_1: "euro, Swiss franc, Japanese yen",
  },
  // data/ner-test.jsonl
  "The software architect reviewed the design while the QA lead wrote the test plan.": {
    variant_0: "software architect, QA lead",
    variant_1: "software architect, QA lead",
  },
  "Ada Lovelace wrote notes on the Analytical Engine designed by Charles Babbage.": {
    variant_0: "Ada Lovelace, Charles Babbage, Analytical Engine",
    variant_1: "Ada Lovelace, Charles Babbage",
  },
  "The train from Vienna reaches Budapest in under three hours.": {
    variant_0: "Vienna, Budapest",
    variant_1: "Vienna, Budapest",
  },
  "Tailspin Toys signed a distribution deal with Wide World Importers last quarter.": {
    variant_0: "Tailspin Toys, Wide World Importers",
    variant_1: "Tailspin Toys, Wide World Importers",
  },
  "Registration closes on 15 September 2025; the workshop itself is on 2 October 2025.": {
    variant_0: "15 September 2025",
    variant_1: "15 September 2025, 2 October 2025",
  },
  "He edits video on a MacBook Pro and backs everything up to a Synology DS920+.": {
    variant_0: "MacBook Pro, Synology DS920+",
    variant_1: "MacBook Pro, Synology DS920+",
  },
  "The committee thanked every volunteer for their patience during the long evening.": {
    variant_0: "volunteer",
    variant_1: "None",
  },
  "A senior data engineer and two machine learning engineers joined the platform team.": {
    variant_0: "senior data engineer, machine learning engineers",
    variant_1: "Senior Data Engineer, Machine Learning Engineers",
  },
  "The river flows north from the Black Forest through Basel before reaching Strasbourg.": {
    variant_0: "Black Forest, Basel, Strasbourg",
    variant_1: "Basel, Strasbourg",
  },
  "The grant came from the Wellcome Trust and was administered by University College London.": {
    variant_0: "Wellcome Trust, University College London (UCL)",
    variant_1: "Wellcome Trust, University College London",
  },
};

/**
 * README.md's NER examples with their entity types (the data files carry their own): recorded for both
 * variants, so the tour's commands replay as written.
 */
export const nerReadmeInputs: { entity_type: string; text: string }[] = [
  { entity_type: "job title", text: "The project manager and the data analyst are collaborating." },
  { entity_type: "person", text: "Ada Lovelace met Charles Babbage." },
];

/**
 * The chat flow's answers, keyed by the question. data/questions.jsonl is one conversation, turn by
 * turn (each row's chat_history holds the earlier turns with these answers), so `flow test --interactive`
 * replays it when the questions are typed in order; the first question is also the flow's default.
 */
export const chatAnswers: Record<string, string> = {
  "What is Prompt Flow?":
    "Prompt Flow is a development tool for LLM applications: you describe the app as a flow of prompts, model calls and code, then test it, evaluate it on data sets and deploy it.",
  "Can I run it without the cloud?":
    "Yes. Flows run locally from the command line or as a function in your own code; a cloud workspace is optional and mainly adds shared runs and managed deployment.",
  "What does LLMOps mean?":
    "LLMOps is the practice of developing, evaluating, deploying and monitoring applications built on large language models, with versioned prompts, repeatable experiments and quality gates in CI/CD.",
};
