import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, setLanguage } from '../i18n/i18n.ts';

/** EN | DE. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('shell');
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language')}
      value={i18n.language}
      onChange={(value) => void setLanguage(value as Language)}
      data={LANGUAGES.map((lang) => ({ value: lang, label: lang.toUpperCase() }))}
    />
  );
}
